import 'reflect-metadata';
import { Logger } from '@nestjs/common';

// Tests assert on behaviour, not logs; unexpected errors still show.
Logger.overrideLogger(['error']);
