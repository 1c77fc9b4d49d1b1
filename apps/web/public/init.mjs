// Starts GOV.UK Frontend's components (menu toggle, error summary focus, ...). Every page works without it.
import { initAll } from '/assets/govuk-frontend.min.js';

initAll();
