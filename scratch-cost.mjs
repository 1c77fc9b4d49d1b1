import { buildSchema, getIntrospectionQuery, parse, isObjectType, isInterfaceType, isInputObjectType, isEnumType, isUnionType } from 'graphql';
import { readFileSync } from 'node:fs';
import { getComplexity } from 'graphql-query-complexity';
import { costEstimator } from './dist/apps/api/src/graphql/query-limits.plugin.js';
const schema = buildSchema(readFileSync('schema.graphql','utf8'));
const types = Object.values(schema.getTypeMap());
let f=0,a=0,inp=0,en=0,maxF=0;
for (const t of types){ if (isObjectType(t)||isInterfaceType(t)){ const fs=Object.values(t.getFields()); f+=fs.length; maxF=Math.max(maxF,fs.length); for (const x of fs) a+=x.args.length;} if(isInputObjectType(t)) inp+=Object.keys(t.getFields()).length; if (isEnumType(t)) en+=t.getValues().length; }
console.log({types: types.length, fields:f, args:a, inputFields:inp, enumValues:en, maxF});
const c = (q) => getComplexity({ schema, query: parse(q), estimators: [costEstimator], variables: {} });
console.log('standard', c(getIntrospectionQuery()));
console.log('alias50', c('{' + Array.from({length:50},(_, i)=>`a${i}: __schema { types { fields { name } } }`).join(' ') + '}'));
