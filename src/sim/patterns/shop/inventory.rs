//! The shop's write model: products and orders as tables, each change checked against them and
//! published as one event. Only this side decides (an order for more than is left is refused);
//! it never answers a shopper's browsing, which the read side serves from its own copies.

use super::event::{CustomerId, OrderId, Product, ProductId, ShopEvent, ShopRecord};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the merchant and the shoppers ask the write side to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum ShopCommand {
    List { price_cents: i64, stock: u32 },
    Restock { qty: u32 },
    ChangePrice { price_cents: i64 },
    PlaceOrder { customer: CustomerId, qty: u32 },
    CancelOrder { order: OrderId },
}

/// Why the write side refused a command (nothing is published).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum Refusal {
    NotListed,
    AlreadyListed,
    OutOfStock { available: i64 },
    UnknownOrder,
    AlreadyCancelled,
}

/// An order as the write side keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Order {
    pub product: ProductId,
    pub customer: CustomerId,
    pub qty: u32,
    pub price_cents: i64,
    pub cancelled: bool,
}

/// Counters of the write side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WriteStats {
    pub commands: u64,
    pub published: u64,
    pub orders: u64,
    pub cancelled: u64,
    /// Orders refused for want of stock.
    pub out_of_stock: u64,
    /// Every other refusal.
    pub refused: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Inventory {
    products: BTreeMap<ProductId, Product>,
    /// Every order, by id.
    orders: Vec<Order>,
    /// Each product's orders not cancelled, oldest first.
    open: BTreeMap<ProductId, Vec<OrderId>>,
    /// Every event published, by position.
    records: Vec<ShopRecord>,
    /// Each product's event positions, in version order.
    by_product: BTreeMap<ProductId, Vec<u64>>,
    stats: WriteStats,
}

impl Inventory {
    pub fn stats(&self) -> WriteStats {
        self.stats
    }

    /// A product as the write side has it now.
    pub fn product(&self, id: ProductId) -> Product {
        self.products.get(&id).copied().unwrap_or_default()
    }

    /// Every product the write side knows, in id order.
    pub fn products(&self) -> impl Iterator<Item = (ProductId, Product)> + '_ {
        self.products.iter().map(|(&id, &p)| (id, p))
    }

    pub fn order(&self, id: OrderId) -> Option<&Order> {
        usize::try_from(id).ok().and_then(|i| self.orders.get(i))
    }

    /// A product's orders not cancelled, oldest first.
    pub fn open_orders(&self, product: ProductId) -> &[OrderId] {
        self.open.get(&product).map_or(&[], Vec::as_slice)
    }

    pub fn records(&self) -> &[ShopRecord] {
        &self.records
    }

    pub fn get(&self, position: u64) -> Option<&ShopRecord> {
        usize::try_from(position).ok().and_then(|i| self.records.get(i))
    }

    /// A product's events, in version order.
    pub fn history(&self, product: ProductId) -> impl Iterator<Item = &ShopRecord> + '_ {
        self.by_product.get(&product).into_iter().flatten().filter_map(|&p| self.get(p))
    }

    /// The product after its first `version` events: what a view that reached that version must
    /// show.
    pub fn product_at(&self, id: ProductId, version: u32) -> Product {
        let mut p = Product::default();
        for r in self.history(id).take(version as usize) {
            p.apply(&r.event);
        }
        p
    }

    /// The event that takes `product` from `version` to the next one, if it was published.
    pub fn after(&self, product: ProductId, version: u32) -> Option<&ShopRecord> {
        let p = self.by_product.get(&product)?.get(version as usize)?;
        self.get(*p)
    }

    /// Checks `command` on `product` against the tables and, if it holds, changes them and
    /// publishes its event: the event's position.
    pub fn handle(&mut self, product: ProductId, command: ShopCommand, at_us: u64) -> Result<u64, Refusal> {
        self.stats.commands += 1;
        let decided = self.decide(product, command);
        match decided {
            Ok(event) => Ok(self.publish(product, event, at_us)),
            Err(r @ Refusal::OutOfStock { .. }) => {
                self.stats.out_of_stock += 1;
                Err(r)
            }
            Err(r) => {
                self.stats.refused += 1;
                Err(r)
            }
        }
    }

    fn decide(&self, product: ProductId, command: ShopCommand) -> Result<ShopEvent, Refusal> {
        let p = self.product(product);
        match command {
            ShopCommand::List { price_cents, stock } if !p.listed => Ok(ShopEvent::Listed { price_cents, stock }),
            ShopCommand::List { .. } => Err(Refusal::AlreadyListed),
            _ if !p.listed => Err(Refusal::NotListed),
            ShopCommand::Restock { qty } => Ok(ShopEvent::Restocked { qty }),
            ShopCommand::ChangePrice { price_cents } => Ok(ShopEvent::PriceChanged { price_cents }),
            ShopCommand::PlaceOrder { qty, .. } if i64::from(qty) > p.stock => {
                Err(Refusal::OutOfStock { available: p.stock })
            }
            ShopCommand::PlaceOrder { customer, qty } => {
                let order = self.orders.len() as OrderId;
                Ok(ShopEvent::OrderPlaced { order, customer, qty, price_cents: p.price_cents })
            }
            ShopCommand::CancelOrder { order } => match self.order(order) {
                Some(o) if o.product != product => Err(Refusal::UnknownOrder),
                Some(o) if o.cancelled => Err(Refusal::AlreadyCancelled),
                Some(o) => Ok(ShopEvent::OrderCancelled {
                    order,
                    customer: o.customer,
                    qty: o.qty,
                    price_cents: o.price_cents,
                }),
                None => Err(Refusal::UnknownOrder),
            },
        }
    }

    /// Applies `event` to the tables and appends it to what is published.
    fn publish(&mut self, product: ProductId, event: ShopEvent, at_us: u64) -> u64 {
        let p = self.products.entry(product).or_default();
        p.apply(&event);
        let version = p.version;
        match event {
            ShopEvent::OrderPlaced { order, customer, qty, price_cents } => {
                self.orders.push(Order { product, customer, qty, price_cents, cancelled: false });
                self.open.entry(product).or_default().push(order);
                self.stats.orders += 1;
            }
            ShopEvent::OrderCancelled { order, .. } => {
                if let Some(o) = usize::try_from(order).ok().and_then(|i| self.orders.get_mut(i)) {
                    o.cancelled = true;
                }
                if let Some(open) = self.open.get_mut(&product) {
                    open.retain(|&o| o != order);
                }
                self.stats.cancelled += 1;
            }
            _ => {}
        }
        let position = self.records.len() as u64;
        self.records.push(ShopRecord { position, product, version, at_us, event });
        self.by_product.entry(product).or_default().push(position);
        self.stats.published += 1;
        position
    }
}
