/// A scripted server that answers from a function of the request (`ScriptedHTTPServer(route:)`).
public typealias RoutingHTTPServer = ScriptedHTTPServer
