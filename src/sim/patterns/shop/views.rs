//! The shop's read models: the product catalogue shoppers browse and each customer's orders.
//! Both are built by consuming the write side's events, so both lag it; neither guards itself
//! against an event delivered twice (the consumers' idempotency settings decide that, as for any
//! other effect): an order applied twice takes its units from the catalogue's stock twice.

use super::event::{CustomerId, Product, ProductId, ShopEvent, ShopRecord};
use serde::Serialize;
use std::collections::BTreeMap;

/// Which read model a subscriber builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShopViewKind {
    /// Each product's price and units in stock: what shoppers browse.
    Catalogue,
    /// Each customer's orders: "my orders".
    Orders,
}

/// One product in the catalogue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CatalogueEntry {
    /// The product as the view has it; its version is that of the latest event applied.
    pub product: Product,
    /// Events applied (more than the version when some were applied twice).
    pub applied: u32,
}

/// One customer's orders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CustomerOrders {
    pub placed: u32,
    pub cancelled: u32,
    /// What the customer's orders not cancelled cost.
    pub spent_cents: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShopView {
    pub kind: ShopViewKind,
    pub products: BTreeMap<ProductId, CatalogueEntry>,
    pub customers: BTreeMap<CustomerId, CustomerOrders>,
}

impl ShopView {
    pub fn new(kind: ShopViewKind) -> Self {
        ShopView { kind, products: BTreeMap::new(), customers: BTreeMap::new() }
    }

    /// Applies one event to the view.
    pub fn apply(&mut self, r: &ShopRecord) {
        match self.kind {
            ShopViewKind::Catalogue => {
                let e = self.products.entry(r.product).or_default();
                let version = e.product.version.max(r.version);
                e.product.apply(&r.event);
                e.product.version = version;
                e.applied += 1;
            }
            ShopViewKind::Orders => {
                let (customer, qty_sign, price, qty) = match r.event {
                    ShopEvent::OrderPlaced { customer, qty, price_cents, .. } => (customer, 1, price_cents, qty),
                    ShopEvent::OrderCancelled { customer, qty, price_cents, .. } => (customer, -1, price_cents, qty),
                    _ => return,
                };
                let c = self.customers.entry(customer).or_default();
                if qty_sign > 0 {
                    c.placed += 1;
                } else {
                    c.cancelled += 1;
                }
                c.spent_cents += qty_sign * price * i64::from(qty);
            }
        }
    }

    /// The catalogue's version of `product` (0 when it has none of its events).
    pub fn version(&self, product: ProductId) -> u32 {
        self.products.get(&product).map_or(0, |e| e.product.version)
    }
}
