/**
 * The few parts of mvdan-sh (mvdan/sh's bash parser compiled to JavaScript) that the
 * permission engine uses. Nodes are Go structs seen from JavaScript, so they are typed loosely
 * and read through the helpers in shell.ts.
 */
declare module 'mvdan-sh' {
  export interface ShPos {
    Offset(): number;
  }
  export interface ShNode {
    Pos(): ShPos;
    End(): ShPos;
    [field: string]: unknown;
  }
  export interface ShParser {
    /** Throws a Go error object (its String() is `name:line:col: message`) on bad syntax. */
    Parse(src: string, name: string): ShNode;
  }
  export interface ShSyntax {
    NewParser(): ShParser;
    NodeType(node: ShNode): string;
    Walk(node: ShNode, visit: (node: ShNode | null) => boolean): void;
  }
  const sh: { syntax: ShSyntax };
  export default sh;
}
