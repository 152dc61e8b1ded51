// Package rates is the currency rates of the CRM: roubles per one unit of
// a currency, each valid from a date until the next one of that
// currency (table currency_rates). It lists them for a span (List), sets
// one (Put, upserting on currency and date), removes one (Delete) and
// imports the Bank of Russia's XML files (Parse reads XML_daily.asp and
// XML_dynamic.asp in Windows-1251; Import writes them in one
// transaction, idempotently). It sits above crmcore, like intake, so the
// core keeps to stdlib and pgx while this one reads legacy charsets.
//
// Reports convert a deal's amount at the rate valid on its creation
// date in Moscow; the change stream carries every rate row to ClickHouse,
// where a changed rate recomputes the deals' rouble amounts.
package rates
