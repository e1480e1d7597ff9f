// Each Lambda process as its handler receives it: its dependencies and its settings, built from one parsed
// environment, once per process. The rate-budget gates are wired here and nowhere else: the worker's handed to
// each run, the API's wrapped around its Gradient factory.
import { budgetedFactory, budgetGates, type GateFor } from '../core/calls/shared-budget';
import type { AppDeps, PlannerDeps } from '../core/ports';
import { type Env, env } from '../shared/env';
import { traced } from '../shared/tracing';
import { buildDeps, buildPlannerDeps } from './deps';
import { type ApiSettings, apiSettings, budgetSettings, type WorkerSettings, workerSettings } from './settings';

export interface WorkerProcess {
  deps: AppDeps;
  settings: WorkerSettings;
  /** One gate per partner (or one for the vendor), shared by every message this process handles. */
  gates: GateFor;
}

export interface ApiProcess {
  /** Every Gradient call already draws from the shared budget. */
  deps: AppDeps;
  settings: ApiSettings;
}

/**
 * A worker process over a configuration: its own graph unless one is given (the local stack's workers share one
 * graph, as the instances of one Lambda share its tables), its own gates either way. Tests and benches may
 * override settings (test-sized retries, say).
 */
export function workerProcess(
  config: Env,
  options: { deps?: AppDeps; settings?: Partial<WorkerSettings> } = {},
): WorkerProcess {
  const deps = options.deps ?? buildDeps(config);
  const settings = { ...workerSettings(config), ...options.settings };
  return { deps, settings, gates: budgetGates(deps, settings.rate) };
}

/**
 * The API process: the worker's graph with every Gradient call drawn from the shared budget, one token per claim
 * (its calls are few, and a claimed token it does not use would be lost to the workers).
 */
export function apiProcess(config: Env, overrides: Partial<AppDeps> = {}): ApiProcess {
  const deps = buildDeps(config, overrides);
  const gates = budgetGates(deps, budgetSettings(config, 1));
  return { deps: { ...deps, gradient: budgetedFactory(deps.gradient, gates) }, settings: apiSettings(config) };
}

/** A process-wide value built on first use (SDK clients live across invocations). */
const once = <T>(build: () => T): (() => Promise<T>) => {
  let built: Promise<T> | undefined;
  return () => {
    built ??= Promise.resolve().then(build);
    return built;
  };
};

// `@__PURE__`: a bundle that never calls one of these (the planner's) drops it and everything only it builds.
// X-Ray subsegments are recorded where the nights' time goes: the worker's Gradient and AWS calls, and the
// planner's. The API is traced by API Gateway and Lambda (a segment per request) without them, which keeps the
// X-Ray SDK (about 120 KiB) out of its bundle.
export const productionWorker = /* @__PURE__ */ once(() => {
  const config = env();
  return workerProcess(config, { deps: buildDeps(config, {}, traced) });
});
export const productionApi = /* @__PURE__ */ once(() => apiProcess(env()));
export const productionPlannerDeps = /* @__PURE__ */ once((): PlannerDeps => buildPlannerDeps(env(), traced));
