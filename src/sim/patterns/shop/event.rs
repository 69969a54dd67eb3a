//! What the shop publishes: one event per change to its write model, keyed by product so that a
//! product's events stay in order (one partition per product).

use serde::Serialize;

/// A product, the unit of ordering: the producer's keys are the products.
pub type ProductId = u32;
/// A shopper.
pub type CustomerId = u32;
/// An order, numbered by the write side from 0.
pub type OrderId = u64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ShopEvent {
    /// The merchant puts a product on sale.
    Listed {
        price_cents: i64,
        stock: u32,
    },
    Restocked {
        qty: u32,
    },
    PriceChanged {
        price_cents: i64,
    },
    /// A shopper's order, taking `qty` from the stock at the price of the moment.
    OrderPlaced {
        order: OrderId,
        customer: CustomerId,
        qty: u32,
        price_cents: i64,
    },
    /// The shopper cancels: the stock comes back.
    OrderCancelled {
        order: OrderId,
        customer: CustomerId,
        qty: u32,
        price_cents: i64,
    },
}

impl ShopEvent {
    pub fn name(&self) -> &'static str {
        match self {
            ShopEvent::Listed { .. } => "Listed",
            ShopEvent::Restocked { .. } => "Restocked",
            ShopEvent::PriceChanged { .. } => "PriceChanged",
            ShopEvent::OrderPlaced { .. } => "OrderPlaced",
            ShopEvent::OrderCancelled { .. } => "OrderCancelled",
        }
    }
}

/// One published event with where it sits: its place among all the shop's events and among its
/// product's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ShopRecord {
    pub position: u64,
    pub product: ProductId,
    /// The product's version once the event is applied (its events counted from 1).
    pub version: u32,
    /// When the write side committed it (sim time, microseconds).
    pub at_us: u64,
    pub event: ShopEvent,
}

/// A product as both sides see it: its price, the units left, and how many of its events made it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Product {
    pub listed: bool,
    pub price_cents: i64,
    pub stock: i64,
    pub version: u32,
}

impl Product {
    /// The product after `event` (the write side and the catalogue apply the same rule; only the
    /// write side refuses what would take the stock below zero, the view applies what it is given).
    pub fn apply(&mut self, event: &ShopEvent) {
        match *event {
            ShopEvent::Listed { price_cents, stock } => {
                self.listed = true;
                self.price_cents = price_cents;
                self.stock = i64::from(stock);
            }
            ShopEvent::Restocked { qty } => self.stock += i64::from(qty),
            ShopEvent::PriceChanged { price_cents } => self.price_cents = price_cents,
            ShopEvent::OrderPlaced { qty, .. } => self.stock -= i64::from(qty),
            ShopEvent::OrderCancelled { qty, .. } => self.stock += i64::from(qty),
        }
        self.version += 1;
    }
}
