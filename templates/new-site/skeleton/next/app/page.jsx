export default function Home() {
  return (
    <main>
      <h1>${{ values.title }}</h1>
      <p>This is ${{ values.domain }}. Replace this page with the site&apos;s content.</p>
    </main>
  );
}
