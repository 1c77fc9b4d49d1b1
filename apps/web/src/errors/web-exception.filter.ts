import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { WebErrorPages } from './web-error-pages.js';

/** The pages' controllers answer every error with a GOV.UK error page, never the API's JSON. */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  constructor(private readonly pages: WebErrorPages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.pages.render(exception, http.getRequest<Request>(), http.getResponse<Response>());
  }
}
