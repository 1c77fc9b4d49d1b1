import { Module } from '@nestjs/common';
import { AppConfig } from '#config';
import { DemoIdpController } from './demo-idp.controller.js';
import { DemoIdpKeys, demoIdpKeys } from './demo-idp.keys.js';

/** The demo identity provider; AppModule imports it only in demo mode (embedded database). */
@Module({
  controllers: [DemoIdpController],
  providers: [{ provide: DemoIdpKeys, inject: [AppConfig], useFactory: (config: AppConfig) => demoIdpKeys(config.dataDir) }],
})
export class DemoIdpModule {}
