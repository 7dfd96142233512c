// Builds static/build/: the branded GOV.UK Frontend stylesheet, its JavaScript and images,
// and axe-core for the browser tests. Run through `npm run build` (the Makefile does).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk", "assets"), { recursive: true });

const css = sass.compile(join(root, "frontend", "relay.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "relay.css"), css.css);

cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
// Images only: the fonts are GDS Transport, which a council service must not use.
cpSync(join(govuk, "assets", "images"), join(out, "govuk", "assets", "images"), { recursive: true });
cpSync(join(root, "frontend", "js"), join(out, "js"), { recursive: true });
cpSync(join(root, "node_modules", "axe-core", "axe.min.js"), join(out, "axe.min.js"));
console.log("static/build written");
