/** The parts of vitest's JSON report that the closing line is made from. */
export interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: {
    status: string;
    assertionResults: {
      status: string;
      fullName: string;
      ancestorTitles: string[];
      title: string;
    }[];
  }[];
}

export interface TestSummary {
  passed: number;
  /** Failed tests, files that failed outside any test, and unmarked skips. */
  failed: number;
  /** Lines to print before the closing line. */
  details: string[];
  closingLine: string;
}

/**
 * A test may be skipped only where it cannot run, and must say so in its own title or
 * an enclosing describe's: `it.skipIf(process.platform !== "linux")("[platform-only:
 * needs Linux namespaces] ...")`. Any other skip or todo is a failure: a test that never
 * runs proves nothing, and a green line must not hide it.
 */
export const platformOnlyMark = /^\[platform-only: [^\]]+\]/;

const notRun = new Set(["skipped", "pending", "todo", "disabled"]);

/** `nameFiltered`: vitest ran with -t, so skips include every test the filter left out. */
export function summarise(report: VitestJsonReport, nameFiltered: boolean): TestSummary {
  const tests = report.testResults.flatMap((file) => file.assertionResults);
  const skipped = tests.filter((test) => notRun.has(test.status));
  const marked = skipped.filter((test) =>
    [...test.ancestorTitles, test.title].some((title) => platformOnlyMark.test(title)),
  );
  const unmarked = nameFiltered ? [] : skipped.filter((test) => !marked.includes(test));
  // A file that failed outside any test (a hook, an import) counts as one failure.
  const brokenFiles = report.testResults.filter(
    (file) =>
      file.status === "failed" && !file.assertionResults.some((test) => test.status === "failed"),
  ).length;
  const failed = report.numFailedTests + brokenFiles + unmarked.length;
  const details = [
    ...marked.map((test) => `skipped here (platform-only): ${test.fullName}`),
    ...unmarked.map(
      (test) => `FAILED, skipped without a [platform-only: <reason>] mark: ${test.fullName}`,
    ),
  ];
  const tails = [
    marked.length > 0 ? `${marked.length} platform-only skipped` : "",
    nameFiltered && skipped.length > marked.length
      ? `${skipped.length - marked.length} not selected by -t`
      : "",
  ].filter(Boolean);
  const closingLine = [`${report.numPassedTests} passed, ${failed} failed`, ...tails].join(", ");
  return { passed: report.numPassedTests, failed, details, closingLine };
}
