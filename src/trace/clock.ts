/**
 * @module trace/clock
 * One precise clock for every span tracegrad starts and ends. The SDK stamps a span's start with Date.now() (whole
 * milliseconds) and its end with start + a precise duration, so two fast calls in a row can appear to overlap and a
 * producer can seem to end after its consumer started — which would hide data-flow edges. Passing HrTime from the
 * same monotonic clock at both ends keeps sub-millisecond order.
 */
import type { HrTime } from "@opentelemetry/api";

const NANOS_PER_SECOND = 1_000_000_000;

/**
 * How far the clocks of two spans of different (later stitched) traces can disagree. OTel anchors each root span's
 * clock to `Date.now()` (whole milliseconds): measured 0.2 ms end-after-start for back-to-back root spans, and a last
 * model call ending 0.25 ms after the run that contained it. Timing tests that compare spans across traces allow it.
 */
export const CLOCK_SKEW_MS = 1;

/**
 * Now, as HrTime from the performance clock (sub-millisecond, monotonic within the process).
 *
 * @example
 * span.end(preciseNow());
 */
export function preciseNow(): HrTime {
  // Origin and offset are converted separately and added as integers: their float sum (~1.7e12 ms) would keep only
  // about a third of a microsecond, and two close calls could then compare equal or out of order.
  const origin = millisToHrTime(performance.timeOrigin);
  const now = millisToHrTime(performance.now());
  const nanos = origin[1] + now[1];
  return nanos >= NANOS_PER_SECOND ? [origin[0] + now[0] + 1, nanos - NANOS_PER_SECOND] : [origin[0] + now[0], nanos];
}

/** Milliseconds as [seconds, nanoseconds]; monotonic in its argument (floors, never rounds up past a second). */
function millisToHrTime(millis: number): HrTime {
  const seconds = Math.floor(millis / 1000);
  const nanos = Math.min(NANOS_PER_SECOND - 1, Math.floor((millis - seconds * 1000) * 1_000_000));
  return [seconds, nanos];
}
