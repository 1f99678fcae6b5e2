import { it } from "vitest";
import { Layout } from "./components/layout";
it("x", async () => {
  console.log(
    String(
      <Layout title="a<b">
        <p>{"<script>"}</p>
      </Layout>,
    ),
  );
});
