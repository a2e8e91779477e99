export type NodeEnv = "development" | "test" | "production";

/** An environment: `process.env` or any injected object of the same shape. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface FragmentContext {
  /** The environment, with empty strings already treated as unset. */
  readonly env: Env;
  readonly nodeEnv: NodeEnv;
  readonly isProduction: boolean;
  /** Records a problem; `loadConfig` throws once every fragment has been read. */
  report(variable: string, message: string): void;
  /** Runs `read`, turning a thrown ConfigError into reported problems. */
  attempt<T>(read: () => T): T | undefined;
}

/**
 * Reads one concern (database, TLS, ...) from the environment. Returns undefined only after
 * reporting at least one problem.
 */
export type ConfigFragment<T extends object> = (context: FragmentContext) => T | undefined;
