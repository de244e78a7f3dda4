/** What of a request may be written to a log: no link token, no secret parameter, no credential header. */
import { redactHeaders, redactUrl } from '../../../api/http-logging';

describe('a URL made safe to log', () => {
  it.each([
    ['/d/Zk3_x-9QaB/accept?lang=fr', '/d/[token]/accept?lang=fr'],
    ['/D/Zk3_x-9QaB', '/D/[token]'],
    ['/webhooks/getaccept/ten_1?token=s3cr3t&event=signed', '/webhooks/getaccept/ten_1?token=[redacted]&event=signed'],
    ['/x?access_token=a&api_key=b&To%6Ben=c&client_secret=d', '/x?access_token=[redacted]&api_key=[redacted]&To%6Ben=[redacted]&client_secret=[redacted]'],
    ['https://greenlight.example/d/Zk3_x-9QaB/pdf?token=z', 'https://greenlight.example/d/[token]/pdf?token=[redacted]'],
    [`/v1/anything/${'A1b2-'.repeat(9)}/more`, '/v1/anything/[token]/more'],
    ['/v1/documents/doc_N0n8ICHMcv0HgTFx/send', '/v1/documents/doc_N0n8ICHMcv0HgTFx/send'],
    ['/v1/documents?status=sent&limit=20', '/v1/documents?status=sent&limit=20'],
  ])('%s → %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});

describe('headers made safe to log', () => {
  it('replaces credentials and signatures, cuts a Referer like a URL, keeps the rest', () => {
    expect(
      redactHeaders({
        authorization: 'Bearer gl_live_secret',
        cookie: 'session=abc',
        'stripe-signature': 't=1,v1=abc',
        'webhook-signature': 'v1,abc',
        referer: 'https://greenlight.example/d/Zk3_x-9QaB',
        'user-agent': 'Mozilla/5.0',
        'x-request-id': 'req-1',
      }),
    ).toEqual({
      authorization: '[redacted]',
      cookie: '[redacted]',
      'stripe-signature': '[redacted]',
      'webhook-signature': '[redacted]',
      referer: 'https://greenlight.example/d/[token]',
      'user-agent': 'Mozilla/5.0',
      'x-request-id': 'req-1',
    });
  });
});
