// The one Vite feature the test helpers use (vitest runs them through Vite, in Node and workerd).
interface ImportMeta {
  glob<T>(patterns: string | string[], options: { query: string; import: string; eager: true }): Record<string, T>;
}
