/**
 * @module trace/clock
 * One precise clock for every span tracegrad starts and ends. The SDK stamps a span's start with Date.now() (whole
 * milliseconds) and its end with start + a precise duration, so two fast calls in a row can appear to overlap and a
 * producer can seem to end after its consumer started — which would hide data-flow edges. Passing HrTime from the
 * same monotonic clock at both ends keeps sub-millisecond order.
 */
import type { HrTime } from "@opentelemetry/api";
import { hrTime } from "@opentelemetry/core";

/** Now, as HrTime from the performance clock (sub-millisecond, monotonic within the process). */
export function preciseNow(): HrTime {
  return hrTime();
}
