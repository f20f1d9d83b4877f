import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    maxImportBytes: number;
  }
}

/** File uploads are streamed: the handler reads the file part as it arrives. */
export default fp(
  async (fastify, opts: { maxFileBytes: number }) => {
    fastify.decorate('maxImportBytes', opts.maxFileBytes);
    await fastify.register(multipart, {
      // One byte over the limit, so the parser (which counts exactly) is the one that reports it.
      limits: { files: 1, fileSize: opts.maxFileBytes + 1, fields: 10, fieldSize: 1024, parts: 12 },
    });
  },
  { name: 'multipart' },
);
