/**
 * @module testing
 * `tracegrad/testing`: test doubles shipped as product, so users can test their own agents offline — scripted engines,
 * an OpenAI-compatible stub server (text and tool calls), and a rule-driven simulated model that can also play
 * tracegrad's own backward, optimizer and reduce roles.
 */
export { FakeEngine, type FakeEngineOptions, type FakeResponses } from "./fake-engine.js";
export { EchoEngine } from "./echo-engine.js";
export { FakeEngineExhaustedError, NoMatchingRuleError } from "./errors.js";
export {
  startStubServer,
  type StubFailure,
  type StubMessage,
  type StubReply,
  type StubRequest,
  type StubRequestMessage,
  type StubServer,
  type StubServerOptions,
  type StubToolCall,
} from "./stub-server.js";
export { SimulatedModel, simulatedReply, type SimulatedCall, type SimulatedModelOptions } from "./simulated-model.js";
export type { SimulatedRequest, SimulatedRule } from "./simulated-rule.js";
export { pairwiseJudgeRule, type PairwiseJudgeRequest } from "./judge-rule.js";
export {
  formatUpdate,
  readTextgradRequest,
  textgradRule,
  type TextgradBackwardRequest,
  type TextgradOptimizerRequest,
  type TextgradReduceRequest,
  type TextgradRequest,
} from "./textgrad-request.js";
export {
  createSimulatedTask,
  type SimulatedTask,
  type SimulatedTaskOptions,
  type OptimizerBehaviour,
  type SimulatedUpdate,
} from "./simulated-task.js";
export {
  TASK_SKILLS,
  TASK_DISTRACTORS,
  TASK_CONFLICTS,
  answerCorrectly,
  overfitLine,
  type TaskExample,
  type TaskSkill,
} from "./simulated-task-world.js";
