// GraphiQL served by the service itself: editor workers, styles and fonts are bundled, queries go over HTTP
// and subscriptions over graphql-ws on the same /graphql path, and the example operations are preloaded.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import operations from '../../../operations/charsheet.graphql?raw';
import { authHeaders } from '../app/credentials.js';
import { exampleTabs } from './exampleTabs.js';
import { MemoryStorage } from './memoryStorage.js';

const endpoint = `${location.origin}/graphql`;
const fetcher = createGraphiQLFetcher({
  url: endpoint,
  subscriptionUrl: endpoint.replace(/^http/, 'ws'),
});

// A link from a sheet names a character: show its tabs afresh instead of whatever the last visit left in
// localStorage (GraphiQL only uses defaultTabs when nothing is stored).
const characterId = new URLSearchParams(location.search).get('characterId');
/** Where GraphiQL keeps its tabs in localStorage (@graphiql/toolkit's namespace + @graphiql/react's key). */
const GRAPHIQL_TABS_KEY = 'graphiql:tabState';

// The token the page was signed in with (this tab's sessionStorage) goes into each example tab's headers;
// GraphiQL sends headers over HTTP and as graphql-ws connection params. It is not persisted by GraphiQL.
const signedInHeaders = Object.keys(authHeaders()).length > 0 ? JSON.stringify(authHeaders(), null, 2) : null;
const tabs = exampleTabs(operations, characterId).map((tab) => ({ ...tab, headers: signedInHeaders }));
// GraphiQL 5 fills the first tab's query from defaultTabs but not its variables; hand them over when the
// example tabs are what it will show (nothing stored yet), or they would appear empty.
const showsExampleTabs = characterId !== null || localStorage.getItem(GRAPHIQL_TABS_KEY) === null;

const container = document.getElementById('playground');
if (!container) throw new Error('playground.html has no #playground element');
createRoot(container).render(
  createElement(GraphiQL, {
    fetcher,
    defaultTabs: tabs,
    defaultEditorToolsVisibility: 'variables',
    ...(showsExampleTabs && tabs[0] ? { initialVariables: tabs[0].variables } : {}),
    ...(showsExampleTabs && signedInHeaders ? { initialHeaders: signedInHeaders } : {}),
    ...(characterId ? { storage: new MemoryStorage() } : {}),
  }),
);
