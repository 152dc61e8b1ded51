// Package domain holds the value types every layer of Voronka shares: who
// is acting (Principal, Role), money (Money), the kinds of a pipeline
// stage and the rules for a name. It is a leaf: it imports nothing of the
// project, so the report engine, the HTTP layer and the CRM core can all
// speak of a principal without linking each other's stores.
package domain
