/**
 * @module testing/simulated-rule
 * The two shapes a rule-driven simulated model is built from: what it is asked, and one behaviour. Kept apart from
 * the model so helpers that build rules (such as `textgradRule`) do not import the model.
 */

/** What a simulated model is asked: the system prompt and the (last) user prompt. */
export interface SimulatedRequest {
  readonly system?: string | undefined;
  readonly prompt: string;
}

/**
 * One behaviour of a {@link SimulatedModel}: the first rule whose `matches` accepts a request answers it with
 * `reply`, and the call is counted under `role`. Several rules may share a role (for example one matching a cue in the
 * user prompt and a fallback matching keywords in the system prompt).
 *
 * @example
 * const planner: SimulatedRule<"planner"> = {
 *   role: "planner",
 *   matches: (request) => request.prompt.endsWith("Plan:"),
 *   reply: () => '["search", "answer"]',
 * };
 */
export interface SimulatedRule<Role extends string = string> {
  /** The name calls are counted and recorded under. */
  readonly role: Role;
  /** Whether this rule answers `request`. Should be pure: it may be called without the rule replying. */
  matches(request: SimulatedRequest): boolean;
  /** The reply text. Deterministic replies keep tests reproducible. */
  reply(request: SimulatedRequest): string;
}
