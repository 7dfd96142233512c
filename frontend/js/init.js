// Starts GOV.UK Frontend's components (error summary focus, details, radios) once the page has loaded.
import { initAll } from "/static/build/govuk/govuk-frontend.min.js";
initAll();
