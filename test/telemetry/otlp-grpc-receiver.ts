/**
 * A local OTLP/gRPC receiver for tests, on @grpc/grpc-js (the library the gRPC exporters use):
 * the collector's MetricsService and LogsService `Export` methods registered with raw-buffer
 * (de)serializers, each body handed to OtlpReceiver's protobuf decoder as if it had come over
 * http/protobuf. The gRPC metadata stands in for the HTTP headers.
 */
import type { IncomingHttpHeaders } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { OtlpReceiver } from './otlp-receiver.js';

const raw = {
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (b: Buffer) => b,
  responseDeserialize: (b: Buffer) => b,
};

function exportService(service: string): grpc.ServiceDefinition {
  return { Export: { path: `/opentelemetry.proto.collector.${service}/Export`, requestStream: false, responseStream: false, originalName: 'Export', ...raw } };
}

export class OtlpGrpcReceiver extends OtlpReceiver {
  private grpcServer = new grpc.Server();
  /** `host:port`, as a proxy's CONNECT line names it. */
  address = '';

  /** With `tls`, the collector serves TLS with that key and certificate (url becomes https://). */
  constructor(private readonly tls?: { key: string; cert: string }) {
    super();
  }

  override async start(): Promise<this> {
    const handler = (path: string) => (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => {
      const headers: IncomingHttpHeaders = {};
      for (const [k, v] of Object.entries(call.metadata.getMap())) headers[k] = String(v);
      try {
        this.ingest(path, 'application/grpc+proto', headers, call.request);
        // An empty Export*ServiceResponse: every field absent encodes as zero bytes.
        done(null, Buffer.alloc(0));
      } catch (err) {
        done({ code: grpc.status.INVALID_ARGUMENT, details: String(err) });
      }
    };
    this.grpcServer.addService(exportService('metrics.v1.MetricsService'), { Export: handler('/v1/metrics') });
    this.grpcServer.addService(exportService('logs.v1.LogsService'), { Export: handler('/v1/logs') });
    const credentials = this.tls
      ? grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(this.tls.key), cert_chain: Buffer.from(this.tls.cert) }], false)
      : grpc.ServerCredentials.createInsecure();
    const port = await new Promise<number>((resolve, reject) =>
      this.grpcServer.bindAsync('127.0.0.1:0', credentials, (err, p) => (err ? reject(err) : resolve(p))),
    );
    this.address = `127.0.0.1:${port}`;
    this.url = `${this.tls ? 'https' : 'http'}://${this.address}`;
    return this;
  }

  override close(): Promise<void> {
    return new Promise((resolve) => this.grpcServer.tryShutdown(() => resolve()));
  }
}
