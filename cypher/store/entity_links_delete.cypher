// answers: drops every entity-level link (they are rebuilt from record-level links)
MATCH (:Entity)-[l:LINKED]->(:Entity)
DELETE l
