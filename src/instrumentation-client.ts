import { z } from "zod";

// Runs in the browser before the app's modules. Zod compiles object parsers with `new Function` when it
// may, and merely probing for that is reported as a violation of the pages' Content-Security-Policy.
// Set before any schema is built: schemas decide at construction whether to compile.
z.config({ jitless: true });
