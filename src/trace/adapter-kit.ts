/**
 * @module trace/adapter-kit
 * Everything a framework adapter (adapters/*) needs from tracegrad's tracing internals, in one place: the active
 * capture, fault reporting, the span writers and the attribute vocabulary. Internal — not part of the public API —
 * so adapters depend on this one list instead of on how src/trace happens to be split into files.
 */
export { Variable } from "../core/variable.js";
export type { Usage } from "../engine/types.js";
export { InvalidArgumentError } from "../errors.js";
export { GENAI, OI, TG } from "./attributes.js";
export { activeCapture, nextCallIndex, type Capture, type ErrorHook } from "./capture.js";
export { preciseNow } from "./clock.js";
export { faultSinkOf, guard, hasTextFaults, reportFault, reportTextFaults } from "./fault-sink.js";
export { fromGenAiMessages, messagesText } from "./genai-messages.js";
export type { RecordedMessage } from "./module-call.js";
export { paramAttributes, paramIdOf } from "./param-attributes.js";
export { peekValue } from "./peek-value.js";
export { safeText, type SafeText } from "./safe-text.js";
export { traceModule, type TraceModuleOptions } from "./trace-module.js";
export { endSpan, llmStartAttributes, writeError, writeLlmRecord, writeOutput, type LlmRecord } from "./span-writer.js";
