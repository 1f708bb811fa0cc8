/**
 * Worker thread entry point: reviews one plan per message and posts back the callback body, so a
 * large plan's parse and review do not hold up the server's event loop (health checks, new requests).
 */
import { parentPort } from "node:worker_threads";
import { type ReviewJob, runReviewJob } from "./review-bytes";

parentPort?.on("message", (job: ReviewJob) => parentPort!.postMessage(runReviewJob(job)));
