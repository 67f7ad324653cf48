/**
 * @module tracegrad/langchain
 * LangChain.js adapter: record runs as tracegrad spans (per call or for a whole async scope), make createAgent system
 * prompts and LCEL system messages trainable, and replay recorded model calls.
 */
export { TracegradTracer, isTracegradTracer, type TracegradTracerOptions } from "./tracer.js";
export { tracegradCallbacks, type TracegradCallbacksOptions } from "./callbacks.js";
export { instrumentLangChain, uninstrumentLangChain, type InstrumentLangChainOptions } from "./instrument.js";
export { tracegradMiddleware, type TracegradMiddlewareOptions } from "./middleware.js";
export { optimizablePrompt, OptimizablePrompt, type OptimizablePromptOptions } from "./optimizable-prompt.js";
export { modelReplayKey, toAIMessage } from "./replay.js";
export { tracegradNode, type TracegradNodeOptions } from "./tracegrad-node.js";
