-- Tables of the shop; webhook tables are added by the plan.
CREATE TABLE orders (id TEXT PRIMARY KEY);
