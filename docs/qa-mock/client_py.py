# python-requests client (HTTPS_PROXY/HTTP_PROXY from env, REQUESTS_CA_BUNDLE = CA)
import requests, uuid, time, sys
H='https://localhost:18443'; P='http://localhost:18080'
s = requests.Session()
def show(name, r): print(name, r.status_code, r.text.replace('\n','')[:160])
show('py_pay', s.post(H+'/v1/payments', json={"currency": "EUR", "amount": 990, "requestId": str(uuid.uuid4())}, headers={'Idempotency-Key': 'py-idem-1'}))
show('py_token', s.post(H+'/oauth/token', data={'grant_type':'client_credentials','client_id':'py','client_secret':'s3cret'}))
show('py_gql_create', s.post(H+'/graphql', json={"query": "mutation Create($name: String!) { createUser(name: $name) { id name } }", "variables": {"name": "Grace"}}))
show('py_gz', s.get(H+'/gz'))
show('py_redirect', s.get(H+'/old'))
show('py_page', s.get(H+'/catalog/items', params={'limit': 2, 'cursor': 2}))
show('py_head', s.head(H+'/cors'))
show('py_options', s.options(H+'/cors', headers={'Origin': 'https://py.test', 'Access-Control-Request-Method': 'POST'}))
