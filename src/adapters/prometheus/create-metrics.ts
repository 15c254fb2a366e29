import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Report } from '../../core/report/report.ts';
import type { ApiCall } from '../../usecases/ports/api-call-observer.ts';

/** What the metrics need from a BullMQ queue (read on each scrape). */
export interface WatchedQueue {
  readonly name: string;
  getJobCounts(
    ...types: ('wait' | 'active' | 'delayed' | 'prioritized' | 'failed' | 'completed')[]
  ): Promise<Record<string, number>>;
  getJobs(types: 'wait'[], start: number, end: number, asc: boolean): Promise<unknown[]>;
}

const QUEUE_STATES = ['wait', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

/** Seconds: a check takes from a fraction of a second to minutes (large renders, slow APIs). */
const JOB_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const API_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Every Tollgate metric, registered on the registry it is given (never prom-client's global one,
 * so tests and several runtimes in one process do not collide). Queue depth and the age of the
 * oldest waiting job are read from Redis when Prometheus scrapes.
 */
export function createMetrics(registry: Registry) {
  const registers = [registry];
  const webhooks = new Counter({
    name: 'tollgate_webhooks_received_total',
    help: 'Webhook deliveries received, by platform, event and outcome (queued, duplicate-delivery, duplicate-job, ignored, unauthorized, invalid, error).',
    labelNames: ['platform', 'event', 'outcome'] as const,
    registers,
  });
  const jobs = new Counter({
    name: 'tollgate_jobs_total',
    help: 'Queue jobs finished, by queue and outcome (completed, retry, delayed, failed).',
    labelNames: ['queue', 'outcome'] as const,
    registers,
  });
  const jobDuration = new Histogram({
    name: 'tollgate_job_duration_seconds',
    help: 'Time a worker spent on one job attempt, by queue and outcome.',
    labelNames: ['queue', 'outcome'] as const,
    buckets: JOB_BUCKETS,
    registers,
  });
  const apiCalls = new Counter({
    name: 'tollgate_platform_api_requests_total',
    help: 'GitHub/GitLab API requests, by platform, method and HTTP status (network: no response).',
    labelNames: ['platform', 'method', 'status'] as const,
    registers,
  });
  const apiErrors = new Counter({
    name: 'tollgate_platform_api_errors_total',
    help: 'GitHub/GitLab API requests that failed (HTTP 4xx/5xx or no response), by platform and status.',
    labelNames: ['platform', 'status'] as const,
    registers,
  });
  const apiDuration = new Histogram({
    name: 'tollgate_platform_api_request_duration_seconds',
    help: 'GitHub/GitLab API request latency, by platform.',
    labelNames: ['platform'] as const,
    buckets: API_BUCKETS,
    registers,
  });
  const evaluations = new Counter({
    name: 'tollgate_evaluations_total',
    help: 'Changes reviewed (policies and checks evaluated), by verdict.',
    labelNames: ['verdict'] as const,
    registers,
  });
  const findings = new Counter({
    name: 'tollgate_findings_total',
    help: 'Findings reported, by check, severity and whether they block the merge.',
    labelNames: ['check', 'severity', 'blocking'] as const,
    registers,
  });
  const scrapeErrors = new Counter({
    name: 'tollgate_queue_scrape_errors_total',
    help: 'Scrapes that could not read a queue from Redis.',
    labelNames: ['queue'] as const,
    registers,
  });

  const watched: WatchedQueue[] = [];
  new Gauge({
    name: 'tollgate_queue_jobs',
    help: 'Jobs in each queue, by state (read from Redis on scrape).',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const queue of watched) {
        try {
          const counts = await queue.getJobCounts(...QUEUE_STATES);
          for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        } catch {
          scrapeErrors.inc({ queue: queue.name });
        }
      }
    },
  });
  new Gauge({
    name: 'tollgate_queue_oldest_waiting_job_age_seconds',
    help: 'How long the oldest job ready to run has waited for a worker (0 when none waits).',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      this.reset();
      const now = Date.now();
      for (const queue of watched) {
        try {
          const [oldest] = (await queue.getJobs(['wait'], 0, 0, true)) as {
            timestamp?: number;
            delay?: number;
          }[];
          // A debounced job was ready only after its delay.
          const readySince = oldest?.timestamp ? oldest.timestamp + (oldest.delay ?? 0) : now;
          this.set({ queue: queue.name }, Math.max(0, (now - readySince) / 1000));
        } catch {
          scrapeErrors.inc({ queue: queue.name });
        }
      }
    },
  });

  return {
    registry,
    recordWebhook(platform: string, event: string, outcome: string): void {
      webhooks.inc({ platform, event, outcome });
    },
    recordJob(queue: string, outcome: string, seconds: number): void {
      jobs.inc({ queue, outcome });
      jobDuration.observe({ queue, outcome }, seconds);
    },
    observeApiCall(call: ApiCall): void {
      const status = String(call.status);
      apiCalls.inc({ platform: call.platform, method: call.method.toUpperCase(), status });
      apiDuration.observe({ platform: call.platform }, call.durationSeconds);
      if (call.status === 'network' || call.status >= 400) apiErrors.inc({ platform: call.platform, status });
    },
    /** Called by the review path with each published report. */
    recordFindings(report: Report): void {
      evaluations.inc({ verdict: report.verdict });
      for (const f of report.findings) {
        findings.inc({ check: f.check, severity: f.severity, blocking: String(f.blocking) });
      }
    },
    /** Adds queues whose depth and oldest waiting job are reported on scrape. */
    watchQueues(...queues: WatchedQueue[]): void {
      watched.push(...queues);
    },
  };
}

export type TollgateMetrics = ReturnType<typeof createMetrics>;
