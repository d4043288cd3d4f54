/** Prometheus could not answer the query; the message is fit for a summary (no credentials). */
export class PrometheusQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusQueryError';
  }
}
