import 'reflect-metadata';
import { describe, expect, it } from 'vitest';

// TypeGraphQL and typegoose infer field types from `design:type` metadata. If the test transform stops
// emitting it, every model and resolver silently loses its types; this test fails first.
function Marker(): PropertyDecorator {
  return () => undefined;
}

class Sample {
  @Marker()
  name!: string;

  @Marker()
  createdAt!: Date;
}

describe('test transform', () => {
  it('emits decorator metadata for property types', () => {
    expect(Reflect.getMetadata('design:type', Sample.prototype, 'name')).toBe(String);
    expect(Reflect.getMetadata('design:type', Sample.prototype, 'createdAt')).toBe(Date);
  });
});
