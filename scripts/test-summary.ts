/**
 * Prints Jest's result file as one plain closing line, "N passed, N failed, N skipped", so a
 * reader of the CI log (person or machine) sees the count without parsing Jest's reporter.
 */
import { readFileSync } from 'node:fs';

interface JestResults {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numRuntimeErrorTestSuites: number;
}

const file = process.argv[2] ?? '.data/jest-results.json';
const results = JSON.parse(readFileSync(file, 'utf8')) as JestResults;
// A test file that could not even run (import error, failed setup) counts as one failure.
const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
console.log(`${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests + results.numTodoTests} skipped`);
