// Run by MongoDB's image once, on an empty data volume (docker-compose.yml mounts it into
// /docker-entrypoint-initdb.d, where the root user is already signed in): the user the services
// connect as, with readWrite on the market's databases (Storage:MongoDatabasePrefix + store) only.
const stores = ["gateway", "listing", "matching", "broker", "registration", "notifications"];
db.getSiblingDB("admin").createUser({
  user: "market",
  pwd: process.env.MARKET_MONGO_PASSWORD,
  roles: stores.map(store => ({ role: "readWrite", db: `marketplace-${store}` })),
});
