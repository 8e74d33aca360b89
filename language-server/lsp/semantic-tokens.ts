/**
 * Semantic highlighting of dcplan names by kind: shapes (`type`), hardware models (`class`),
 * hosts (`variable`), roles and other enumeration values (`enumMember`), director rings
 * (`namespace`), the plan (`struct`) and workloads (`event`). Declarations carry the
 * `declaration` modifier.
 */
import type { AstNode } from 'langium';
import { AbstractSemanticTokenProvider, type SemanticTokenAcceptor } from 'langium/lsp';
import { SemanticTokenModifiers, SemanticTokenTypes } from 'vscode-languageserver';
import { isDemand, isDeploy, isHost, isHostModel, isHostName, isPin, isPlan, isShape, isWorkload } from '../generated/ast.js';

/** The token type used for each kind of name (exported for tests and documentation). */
export const DCPLAN_TOKEN_TYPES = {
    shape: SemanticTokenTypes.type,
    model: SemanticTokenTypes.class,
    host: SemanticTokenTypes.variable,
    role: SemanticTokenTypes.enumMember,
    value: SemanticTokenTypes.enumMember,
    ring: SemanticTokenTypes.namespace,
    plan: SemanticTokenTypes.struct,
    workload: SemanticTokenTypes.event
} as const;

const DECL = SemanticTokenModifiers.declaration;

/** Highlights the names of a `.dcplan` file by what they name. */
export class DcplanSemanticTokenProvider extends AbstractSemanticTokenProvider {
    protected override highlightElement(node: AstNode, acceptor: SemanticTokenAcceptor): void | 'prune' {
        const T = DCPLAN_TOKEN_TYPES;
        if (isPlan(node)) {
            if (node.name) acceptor({ node, property: 'name', type: T.plan, modifier: DECL });
            if (node.platform) acceptor({ node, property: 'platform', type: T.value });
            if (node.mailStorage) acceptor({ node, property: 'mailStorage', type: T.value });
        } else if (isWorkload(node)) {
            if (node.name) acceptor({ node, property: 'name', type: T.workload, modifier: DECL });
        } else if (isDemand(node)) {
            if (node.role) acceptor({ node, property: 'role', type: T.role });
        } else if (isShape(node)) {
            if (node.name) acceptor({ node, property: 'name', type: T.shape, modifier: DECL });
            if (node.role) acceptor({ node, property: 'role', type: T.role });
            if (node.loginMode) acceptor({ node, property: 'loginMode', type: T.value });
        } else if (isDeploy(node)) {
            if (node.shape?.$refText) acceptor({ node, property: 'shape', type: T.shape });
            if (node.ring) acceptor({ node, property: 'ring', type: T.ring });
        } else if (isHostModel(node)) {
            if (node.name) acceptor({ node, property: 'name', type: T.model, modifier: DECL });
        } else if (isHost(node)) {
            if (node.model?.$refText) acceptor({ node, property: 'model', type: T.model });
        } else if (isHostName(node)) {
            if (node.name) acceptor({ node, property: 'name', type: T.host, modifier: DECL });
        } else if (isPin(node)) {
            if (node.shape?.$refText) acceptor({ node, property: 'shape', type: T.shape });
        }
    }
}
