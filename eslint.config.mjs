// ESLint: JavaScript's and typescript-eslint's recommended rules over the whole repository;
// formatting is Prettier's (eslint-config-prettier turns off the rules it owns). `npm run lint`.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "container/dist/", "node_modules/", ".wrangler/", ".scratch/", "test/fixtures/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused parameters and caught errors are named `_…` when they must exist.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // `catch {}` is how a best-effort step says a failure does not matter.
      "no-empty": ["error", { allowEmptyCatch: true }],
    },
  },
  {
    // The registry's text rule and the tar and TOML readers match control characters on purpose.
    files: [
      "src/domain/text.ts",
      "src/web/links.ts",
      "src/domain/ori-toml.ts",
      "src/log/note.ts",
      "src/processing/**/*.ts",
      "src/cli/**/*.ts",
      "src/**/*.test.ts",
      "test/**/*.ts",
    ],
    rules: { "no-control-regex": "off" },
  },
  { files: ["**/*.mjs", "scripts/**"], languageOptions: { globals: globals.node } },
  // The web UI's one script runs in browsers, as a classic script.
  { files: ["src/web/assets/**/*.js"], languageOptions: { globals: globals.browser, sourceType: "script" } },
  prettier,
);
