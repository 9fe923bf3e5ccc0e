-- Sign-in to the web pages through OpenID Connect: a person may carry the subject their provider
-- gives them (else their e-mail is matched), and sessions live here, not in the browser, so that
-- signing out or expiring really ends them.
alter table people add column oidc_subject text;
create unique index people_oidc_subject on people (oidc_subject) where oidc_subject is not null;
create index people_email_lower on people (lower(email));

-- A sign-in under way: what the provider's answer must match, keyed by the hash of a cookie.
create table web_sign_ins (
  id_hash text primary key,
  state text not null,
  nonce text not null,
  code_verifier text not null,
  return_to text not null,
  created_at timestamptz not null default now()
);

-- A signed-in browser, keyed by the hash of its cookie; ends after `idle` without a request.
create table web_sessions (
  id_hash text primary key,
  person_id text not null,
  csrf text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now()
);
create index web_sessions_person on web_sessions (person_id);
