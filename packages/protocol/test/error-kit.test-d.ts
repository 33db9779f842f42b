import { describe, expectTypeOf, it } from 'vitest';
import { type CodedError, defineErrorFamily, isExoRelayError } from '../src/index.js';

type ShopErrorCode = 'SHOP_OUT_OF_STOCK' | 'SHOP_CLOSED';
const ShopError = defineErrorFamily<ShopErrorCode>('test.shop.error', 'ShopError');

class OutOfStockError extends ShopError.withCode('SHOP_OUT_OF_STOCK', 'OutOfStockError') {
  constructor(readonly item: string) {
    super(`${item} is out of stock`);
  }
}
class ShopClosedError extends ShopError.withCode('SHOP_CLOSED', 'ShopClosedError') {}

describe('the error kit types', () => {
  it('gives each class its code as a literal type, and the family the union of its codes', () => {
    expectTypeOf<OutOfStockError['code']>().toEqualTypeOf<'SHOP_OUT_OF_STOCK'>();
    expectTypeOf(new ShopError('SHOP_CLOSED', 'closed').code).toEqualTypeOf<ShopErrorCode>();
    expectTypeOf<OutOfStockError>().toExtend<CodedError<ShopErrorCode>>();
  });

  it('narrows a union of classes on code', () => {
    const error = new OutOfStockError('tea') as OutOfStockError | ShopClosedError;
    if (error.code === 'SHOP_OUT_OF_STOCK') expectTypeOf(error).toEqualTypeOf<OutOfStockError>();
    else expectTypeOf(error).toEqualTypeOf<ShopClosedError>();
  });

  it('takes only codes of the family', () => {
    // @ts-expect-error: not a code of the shop family
    ShopError.withCode('SHOP_ON_FIRE', 'ShopOnFireError');
    // @ts-expect-error: not a code of the shop family
    new ShopError('SHOP_ON_FIRE', 'fire');
  });

  it('narrows with the guards', () => {
    const value: unknown = new ShopClosedError('closed');
    if (ShopError.is(value)) expectTypeOf(value.code).toEqualTypeOf<ShopErrorCode>();
    if (value instanceof ShopError) expectTypeOf(value.code).toEqualTypeOf<ShopErrorCode>();
    if (isExoRelayError(value)) expectTypeOf(value).toEqualTypeOf<CodedError>();
  });
});
