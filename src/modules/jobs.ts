import { JOBS_CLEANUP, type JobHandler } from "../db/jobs";
import { catalogJobs } from "./catalog";
import { eventsJobs } from "./events";
import { exportsJobs } from "./exports";
import { webhooksJobs } from "./webhooks";

// Every job handler, module by module: what the job runner (`npm start`, `npm run worker`) runs.
export const jobHandlers: readonly JobHandler[] = [JOBS_CLEANUP, ...catalogJobs, ...eventsJobs, ...exportsJobs, ...webhooksJobs];
