#!/bin/bash
# curl client: uses $PX proxy; CA $CA. Prints "name status body-digest" per call.
H=https://localhost:18443; P=http://localhost:18080
c() { local name=$1; shift; local out; out=$(curl -s --proxy "$PX" --cacert "$CA" -w '\n%{http_code}' "$@"); echo "$name $(echo "$out" | tail -1) $(echo "$out" | head -n -1 | tr -d '\n' | head -c 160)"; }
c pay1 -X POST $H/v1/payments -H "Idempotency-Key: ${IDEM:-idem-1}" -H "X-Request-Id: $(cat /proc/sys/kernel/random/uuid)" -H 'Content-Type: application/json' -d "{\"amount\":1250,\"currency\":\"EUR\",\"ts\":\"$(date -u +%FT%T.%3NZ)\"}"
c pay1get $H/v1/payments/pay_1000
c page0 "$H/catalog/items?limit=3"
c page1 "$H/catalog/items?cursor=3&limit=3"
c page2 "$H/catalog/items?limit=3&cursor=6"
c token -X POST $H/oauth/token -d grant_type=client_credentials -d client_id=svc -d client_secret=s3cret -d "nonce=$(openssl rand -hex 16)"
c gql_users -X POST $H/graphql -H 'Content-Type: application/json' -d '{"query":"{ users { id } }"}'
c gql_user -X POST $H/graphql -H 'Content-Type: application/json' -d '{"query":"query GetUser($id: ID!) { user(id: $id) { id name } }","variables":{"id":"u-1"},"operationName":"GetUser"}'
c soap_get -X POST $H/soap -H 'Content-Type: text/xml; charset=utf-8' -H 'SOAPAction: "http://ex.test/GetPrice"' -d '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetPrice><sku>A1</sku></GetPrice></soap:Body></soap:Envelope>'
c soap_set -X POST $H/soap -H 'Content-Type: text/xml; charset=utf-8' -H 'SOAPAction: "http://ex.test/SetPrice"' -d '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><SetPrice><sku>A1</sku></SetPrice></soap:Body></soap:Envelope>'
c gz_compressed --compressed $H/gz
c gz_plain $H/gz
c redirect $H/old
c redirect_follow -L $H/old
c preflight -X OPTIONS $H/cors -H 'Origin: https://app.test' -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type'
c head -I $H/cors
c cart_before $P/cart
c cart_add -X POST $P/cart -H 'Content-Type: application/json' -d '{"sku":"SKU-1","qty":2}'
c cart_after $P/cart
