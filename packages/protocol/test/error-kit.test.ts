import { describe, expect, it } from 'vitest';
import { defineErrorFamily, isExoRelayError } from '../src/index.js';

const ShopErrorCode = { OutOfStock: 'SHOP_OUT_OF_STOCK', Closed: 'SHOP_CLOSED' } as const;
type ShopErrorCode = (typeof ShopErrorCode)[keyof typeof ShopErrorCode];

const ShopError = defineErrorFamily<ShopErrorCode>('test.shop.error', 'ShopError');
const DeliveryError = defineErrorFamily<string>('test.delivery.error', 'DeliveryError');

class OutOfStockError extends ShopError.withCode(ShopErrorCode.OutOfStock, 'OutOfStockError', DeliveryError) {
  constructor(
    readonly item: string,
    options?: ErrorOptions,
  ) {
    super(`${item} is out of stock`, options);
  }
}

class ShopClosedError extends ShopError.withCode(ShopErrorCode.Closed, 'ShopClosedError') {}

/** What an error of another installed copy looks like: the same Symbol.for brands, other classes. */
function foreignError(...brands: string[]): Error {
  const error = new Error('from another copy');
  for (const brand of brands) Object.defineProperty(error, Symbol.for(brand), { value: true });
  return error;
}

describe('defineErrorFamily', () => {
  it('gives each class its name, code, message and cause', () => {
    const cause = new Error('supplier late');
    const error = new OutOfStockError('tea', { cause });

    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'OutOfStockError', code: 'SHOP_OUT_OF_STOCK', item: 'tea', cause });
    expect(error.message).toBe('tea is out of stock');
    expect(error.stack).toContain('tea is out of stock');
  });

  it('makes the family base usable on its own, with any code of the family', () => {
    const error = new ShopError(ShopErrorCode.Closed, 'closed for lunch');

    expect(error).toMatchObject({ name: 'ShopError', code: 'SHOP_CLOSED', message: 'closed for lunch' });
    expect(error).toBeInstanceOf(ShopError);
    expect(error).toBeInstanceOf(ShopClosedError);
    expect(error).not.toBeInstanceOf(OutOfStockError);
  });

  it('tells the classes of a family apart, and the family from plain errors', () => {
    expect(new OutOfStockError('tea')).toBeInstanceOf(ShopError);
    expect(new OutOfStockError('tea')).not.toBeInstanceOf(ShopClosedError);
    expect(new ShopClosedError('closed')).not.toBeInstanceOf(OutOfStockError);
    expect(new Error('plain')).not.toBeInstanceOf(ShopError);
    expect('SHOP_CLOSED').not.toBeInstanceOf(ShopError);
  });

  it('recognises errors of another installed copy by their Symbol.for brands', () => {
    const foreign = foreignError('test.shop.error', 'test.shop.error.SHOP_OUT_OF_STOCK');

    expect(foreign).toBeInstanceOf(ShopError);
    expect(foreign).toBeInstanceOf(OutOfStockError);
    expect(foreign).not.toBeInstanceOf(ShopClosedError);
    expect(ShopError.is(foreign)).toBe(true);
  });

  it('lets a class join other families, which then recognise its errors too', () => {
    expect(new OutOfStockError('tea')).toBeInstanceOf(DeliveryError);
    expect(DeliveryError.is(new OutOfStockError('tea'))).toBe(true);
    expect(new ShopClosedError('closed')).not.toBeInstanceOf(DeliveryError);
    expect(new DeliveryError('LATE', 'late')).not.toBeInstanceOf(ShopError);
  });

  it('guards with is(), bound to nothing', () => {
    const { is } = ShopError;

    expect(is(new ShopClosedError('closed'))).toBe(true);
    expect(is(new DeliveryError('LATE', 'late'))).toBe(false);
    expect(is(undefined)).toBe(false);
  });

  it('keeps the brands out of enumeration and JSON', () => {
    const error = new OutOfStockError('tea');

    expect(Object.keys(error)).toEqual(['code', 'name', 'item']);
    expect(JSON.stringify(error)).toBe('{"code":"SHOP_OUT_OF_STOCK","name":"OutOfStockError","item":"tea"}');
  });
});

describe('isExoRelayError', () => {
  it('recognises an error of every family, of this copy or another, and nothing else', () => {
    expect(isExoRelayError(new OutOfStockError('tea'))).toBe(true);
    expect(isExoRelayError(new DeliveryError('LATE', 'late'))).toBe(true);
    expect(isExoRelayError(foreignError('exorelay.any-error'))).toBe(true);
    expect(isExoRelayError(new Error('plain'))).toBe(false);
    expect(isExoRelayError(null)).toBe(false);
    expect(isExoRelayError('SHOP_CLOSED')).toBe(false);
  });
});
