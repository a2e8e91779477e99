import { pino } from "pino";
import type {
  Bindings,
  ChildLoggerOptions,
  DestinationStream,
  Level,
  Logger as PinoLogger,
  LoggerOptions,
} from "pino";
import { redactDeep, redactString } from "./redact";

export type Logger = PinoLogger;
export type LogLevel = Level | "silent";

export interface CreateLoggerOptions {
  /** Service or component name, emitted as `name` on every line. */
  name: string;
  /** Defaults to "info". */
  level?: LogLevel;
  /** Defaults to stdout. Tests pass an in-memory stream. */
  destination?: DestinationStream;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { value };
}

function errorOf(first: unknown): Error | undefined {
  if (first instanceof Error) return first;
  if (typeof first !== "object" || first === null) return undefined;
  const record = first as Record<string, unknown>;
  return record["msg"] === undefined && record["err"] instanceof Error ? record["err"] : undefined;
}

/**
 * pino JSON logger with deep redaction. pino's own `redact` paths match one level
 * per wildcard, so instead every merge object (including `err`), every child binding
 * and every message string goes through redactDeep/redactString before it is
 * serialised.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const config: LoggerOptions = {
    name: options.name,
    level: options.level ?? "info",
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => asRecord(redactDeep(bindings)),
      log: (object) => asRecord(redactDeep(object)),
    },
    // redactDeep already turned errors into plain objects; pino's default err
    // serializer would otherwise rebuild them from the original.
    serializers: { err: (value: unknown) => value },
    hooks: {
      logMethod(args, method) {
        // The first argument is either the merge object (left to formatters.log) or the
        // message; later ones are interpolation values that end up inside `msg`.
        const [first, ...rest] = args as unknown[];
        const cleanFirst = typeof first === "string" ? redactString(first) : first;
        const cleanRest = rest.map((arg) =>
          typeof arg === "string" ? redactString(arg) : redactDeep(arg),
        );
        // Without an explicit message pino copies the error's message into `msg`,
        // bypassing formatters.log; supply the redacted one instead.
        const error = errorOf(first);
        if (cleanRest.length === 0 && error !== undefined)
          cleanRest.push(redactString(error.message));
        method.apply(this, [cleanFirst, ...cleanRest] as Parameters<typeof method>);
      },
    },
  };
  const logger =
    options.destination === undefined ? pino(config) : pino(config, options.destination);
  return redactChildBindings(logger);
}

/**
 * pino applies formatters.bindings to the root logger only; child() and setBindings()
 * serialise their bindings as given. Both are prototype methods, so overriding them on
 * the root makes every descendant (children are Object.create(parent)) inherit the
 * redacting versions.
 */
function redactChildBindings(logger: Logger): Logger {
  // Unbound on purpose: each call must run against the logger it is invoked on.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const { child, setBindings } = logger;
  Object.defineProperties(logger, {
    child: {
      value: function redactingChild(
        this: Logger,
        bindings: Bindings,
        childOptions?: ChildLoggerOptions,
      ) {
        return Reflect.apply(child, this, [asRecord(redactDeep(bindings)), childOptions]) as Logger;
      },
    },
    setBindings: {
      value: function redactingSetBindings(this: Logger, bindings: Bindings) {
        Reflect.apply(setBindings, this, [asRecord(redactDeep(bindings))]);
      },
    },
  });
  return logger;
}

/** A child logger whose every line carries `reqId`. */
export function withRequestId(logger: Logger, requestId: string): Logger {
  return logger.child({ reqId: requestId });
}
