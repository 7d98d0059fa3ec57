# Small real dependencies for the mock QA: payments, catalog, oauth, graphql, soap, gzip, redirect, CORS.
import gzip, json, sys, time, uuid, itertools
from flask import Flask, request, jsonify, Response, redirect, make_response
app = Flask(__name__)
payments = {}
counter = itertools.count(1000)
tokens = {}
cart = []

@app.post('/v1/payments')
def pay():
    key = request.headers.get('Idempotency-Key')
    if key in payments: return jsonify(payments[key]), 200
    body = request.get_json()
    p = {"id": f"pay_{next(counter)}", "amount": body["amount"], "currency": body.get("currency","EUR"), "status": "succeeded"}
    payments[key] = p
    return jsonify(p), 201

@app.get('/v1/payments/<pid>')
def get_pay(pid):
    for p in payments.values():
        if p["id"] == pid: return jsonify(p)
    return jsonify(error="not found"), 404

ITEMS = [{"sku": f"SKU-{i}", "name": f"Item {i}"} for i in range(7)]
@app.get('/catalog/items')
def items():
    cur = int(request.args.get('cursor', '0')); lim = int(request.args.get('limit', '3'))
    page = ITEMS[cur:cur+lim]; nxt = cur + lim if cur + lim < len(ITEMS) else None
    return jsonify(items=page, next_cursor=None if nxt is None else str(nxt))

@app.post('/oauth/token')
def token():
    f = request.form
    if f.get('grant_type') != 'client_credentials' or f.get('client_secret') != 's3cret':
        return jsonify(error="invalid_client"), 401
    t = uuid.uuid4().hex
    return jsonify(access_token=t, token_type="Bearer", expires_in=3600)

@app.post('/graphql')
def graphql():
    b = request.get_json(); q = b.get('query', '')
    if 'createUser' in q: return jsonify(data={"createUser": {"id": "u-9", "name": b['variables']['name']}})
    if 'user(' in q: return jsonify(data={"user": {"id": b['variables']['id'], "name": "Ada"}})
    return jsonify(data={"users": [{"id": "u-1"}, {"id": "u-2"}]})

@app.post('/soap')
def soap():
    a = request.headers.get('SOAPAction', '').strip('"')
    op = a.rsplit('/', 1)[-1]
    xml = f'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><{op}Response><Result>{op}-ok</Result></{op}Response></soap:Body></soap:Envelope>'
    return Response(xml, content_type='text/xml; charset=utf-8')

@app.get('/gz')
def gz():
    data = gzip.compress(json.dumps({"compressed": True, "n": list(range(20))}).encode())
    r = Response(data, content_type='application/json'); r.headers['Content-Encoding'] = 'gzip'; return r

@app.get('/old')
def old(): return redirect('/catalog/items?cursor=0&limit=3', 302)

@app.route('/cors', methods=['OPTIONS', 'GET', 'HEAD'])
def cors():
    if request.method == 'OPTIONS':
        r = make_response('', 204)
        r.headers['Access-Control-Allow-Origin'] = request.headers.get('Origin', '*')
        r.headers['Access-Control-Allow-Methods'] = 'GET, POST, PUT'
        r.headers['Access-Control-Allow-Headers'] = 'content-type, x-api-key'
        r.headers['Access-Control-Max-Age'] = '600'
        return r
    return jsonify(cors="get")

@app.get('/cart')
def get_cart(): return jsonify(items=cart)
@app.post('/cart')
def add_cart():
    cart.append(request.get_json()); return jsonify(ok=True, count=len(cart)), 201

if __name__ == '__main__':
    port = int(sys.argv[1]); ctx = None
    if len(sys.argv) > 2: ctx = (sys.argv[2], sys.argv[3])
    app.run(host='127.0.0.1', port=port, ssl_context=ctx, threaded=True)
