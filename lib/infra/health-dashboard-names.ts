/** The log line the runner writes when a suite finishes; the dashboard's "last run" query reads it. */
export const suiteCompletedLogMessage = 'suite completed';
