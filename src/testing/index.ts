/**
 * @module testing
 * `tracegrad/testing`: test doubles shipped as product, so users can test their own agents offline.
 */
export { FakeEngine, type FakeEngineOptions, type FakeResponses } from "./fake-engine.js";
export { EchoEngine } from "./echo-engine.js";
export {
  startStubServer,
  type StubFailure,
  type StubReply,
  type StubRequest,
  type StubServer,
  type StubServerOptions,
} from "./stub-server.js";
export {
  SimulatedModel,
  simulatedReply,
  type SimulatedCall,
  type SimulatedModelOptions,
} from "./simulated-model.js";
export {
  DEFAULT_TRIGGERS,
  DEFAULT_MODULE_NAMES,
  type SimulatedWorld,
  type SimulatedQuestion,
  type SimulatedDocument,
  type SimulatedTrigger,
  type SimulatedTriggers,
  type SimulatedModuleNames,
} from "./simulated-world.js";
export { detectRole, SIMULATED_ROLES, type SimulatedRole, type SimulatedRequest } from "./simulated-roles.js";
