import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, serveMetrics, type MetricsServer } from '#config';

/** With METRICS_PORT, serves `/metrics` there for as long as the API runs (the main port then refuses them). */
@Injectable()
export class MetricsPortService implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: MetricsServer;

  constructor(private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.metricsPort !== undefined) this.server = await serveMetrics(this.config);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}
