/**
 * The limiter's store in DynamoDB: {@link io.marketgate.limiter.dynamodb.DynamoDbLimiterStore}, its options
 * ({@link io.marketgate.limiter.dynamodb.DynamoDbStoreOptions}) and its table
 * ({@link io.marketgate.limiter.dynamodb.LimiterTable}), for functions outside a VPC (a dynamic-IP egress group), where
 * the Valkey store cannot be reached. It passes the limiter's contract suite ({@code LimiterStoreContract}).
 */
package io.marketgate.limiter.dynamodb;
