export interface ConfigProblem {
  /** The environment variable at fault, e.g. `DATABASE_URL` or `API_KEY_PEPPER_FILE`. */
  readonly variable: string;
  /** What is wrong, phrased so that it never contains the variable's value. */
  readonly message: string;
}

/** Thrown when the environment is invalid; lists every problem by variable name, never by value. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      [
        "Invalid configuration:",
        ...problems.map((problem) => `  - ${problem.variable}: ${problem.message}`),
      ].join("\n"),
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}
