import { ConfigError, type ConfigProblem } from "./config-error";
import type { ConfigFragment, Env, FragmentContext, NodeEnv } from "./config-fragment";

type AnyFragment = ConfigFragment<object>;

export type ConfigFromFragments<Fragments extends Record<string, AnyFragment>> = {
  readonly [K in keyof Fragments]: Exclude<ReturnType<Fragments[K]>, undefined>;
};

const NODE_ENVS: readonly NodeEnv[] = ["development", "test", "production"];

function isNodeEnv(value: string): value is NodeEnv {
  return (NODE_ENVS as readonly string[]).includes(value);
}

function withoutEmptyValues(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Reads every fragment from `env` (default `process.env`) and returns one frozen config, or
 * throws a ConfigError listing every problem by variable name. An unknown NODE_ENV is reported
 * and the production rules, the strictest, apply meanwhile.
 */
export function loadConfig<Fragments extends Record<string, AnyFragment>>(
  fragments: Fragments,
  env: Env = process.env,
): ConfigFromFragments<Fragments> {
  const problems: ConfigProblem[] = [];
  const report = (variable: string, message: string): void => {
    problems.push({ variable, message });
  };
  const cleanEnv = withoutEmptyValues(env);
  const rawNodeEnv = cleanEnv.NODE_ENV ?? "development";
  let nodeEnv: NodeEnv = "production";
  if (isNodeEnv(rawNodeEnv)) nodeEnv = rawNodeEnv;
  else report("NODE_ENV", `must be one of ${NODE_ENVS.join(", ")}`);

  const context: FragmentContext = {
    env: cleanEnv,
    nodeEnv,
    isProduction: nodeEnv === "production",
    report,
    attempt(read) {
      try {
        return read();
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(...error.problems);
        return undefined;
      }
    },
  };

  const config: Record<string, object> = {};
  for (const [key, fragment] of Object.entries(fragments)) {
    const before = problems.length;
    const value = fragment(context);
    if (value !== undefined) config[key] = value;
    else if (problems.length === before) report(key, "configuration fragment returned nothing");
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config) as ConfigFromFragments<Fragments>;
}
