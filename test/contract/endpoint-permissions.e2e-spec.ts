import { readFileSync, writeFileSync } from 'node:fs';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { ACCESS_RULE, NodeRegistry, type AccessRule } from '#identity';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Every query, mutation and HTTP route with who may reach it, and every node(id:) type with the rule it borrows from
// the query that lists it. A change in this list is a change in who can reach an endpoint or an object: review it as
// such. After an intended change run the tests with UPDATE_PERMISSIONS=1.
const FILE = 'test/contract/endpoint-permissions.txt';

function describeRule(rule: AccessRule | undefined): string {
  if (!rule) return 'UNDECLARED (denied)';
  return rule.kind === 'permission' ? `permission ${rule.permission}` : rule.kind;
}

describe('endpoint permission declarations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  function declarations(): string[] {
    const reflector = t.app.get(Reflector);
    const lines: string[] = [];
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const wrapper of [...module.providers.values(), ...module.controllers.values()]) {
        const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
        if (!type?.prototype || wrapper.isAlias) continue;
        const controllerPath = Reflect.getMetadata('path', type) as string | undefined;
        for (const name of Object.getOwnPropertyNames(type.prototype)) {
          // Descriptors, not property reads: some framework classes have getters that must not run here.
          const handler = Object.getOwnPropertyDescriptor(type.prototype, name)?.value as unknown;
          if (name === 'constructor' || typeof handler !== 'function') continue;
          const rule = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [handler, type]);
          const operation = Reflect.getMetadata('graphql:resolver_type', handler) as string | undefined;
          if (operation === 'Query' || operation === 'Mutation') {
            const field = (Reflect.getMetadata('graphql:resolver_name', handler) as string | undefined) ?? name;
            lines.push(`${operation}.${field}: ${describeRule(rule)}`);
          }
          const method = Reflect.getMetadata('method', handler) as RequestMethod | undefined;
          if (controllerPath !== undefined && method !== undefined) {
            const path = `/${[controllerPath, Reflect.getMetadata('path', handler) as string].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
            lines.push(`${RequestMethod[method]} ${path}: ${describeRule(rule)}`);
          }
        }
      }
    }
    for (const [type, rule] of t.app.get(NodeRegistry).accessRules) lines.push(`node(id:) ${type}: ${describeRule(rule)}`);
    return [...new Set(lines)].sort();
  }

  it(`matches ${FILE}`, () => {
    const text = `${declarations().join('\n')}\n`;
    if (process.env.UPDATE_PERMISSIONS === '1') writeFileSync(FILE, text);
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });

  it('leaves no endpoint undeclared', () => {
    expect(declarations().filter((line) => line.includes('UNDECLARED'))).toEqual([]);
    expect(declarations().length).toBeGreaterThan(30);
  });
});
