<?xml version="1.0" encoding="utf-8"?>
<!--
  Renders our Atom and RSS feeds as a readable page when someone opens a feed link in a
  browser: what a web feed is, how to subscribe, and the latest posts. Feed readers ignore
  it. Everything is same-origin: the site's own CSS and icon, found from the feed's self
  link (SITEURL/feeds/... → SITEURL), no scripts, no external requests.
  XSLT 1.0 only: it is all browsers have ever implemented.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    exclude-result-prefixes="atom dc">

  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="isAtom" select="boolean(/atom:feed)"/>
  <xsl:variable name="self"
      select="(/atom:feed/atom:link[@rel='self']/@href | /rss/channel/atom:link[@rel='self']/@href)[1]"/>
  <xsl:variable name="base" select="substring-before($self, '/feeds/')"/>
  <xsl:variable name="stem">
    <xsl:choose>
      <xsl:when test="$isAtom"><xsl:value-of select="substring-before($self, '.atom.xml')"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="substring-before($self, '.rss.xml')"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="title" select="(/atom:feed/atom:title | /rss/channel/title)[1]"/>
  <xsl:variable name="subtitle" select="(/atom:feed/atom:subtitle | /rss/channel/description)[1]"/>
  <xsl:variable name="home"
      select="(/atom:feed/atom:link[@rel='alternate' and @type='text/html']/@href | /rss/channel/link)[1]"/>
  <xsl:variable name="lang" select="(/atom:feed/@xml:lang | /rss/channel/language)[1]"/>

  <xsl:template match="/">
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <meta name="color-scheme" content="light dark"/>
        <title>Web feed: <xsl:value-of select="$title"/></title>
        <link rel="stylesheet" href="{$base}/theme/css/chorus.css"/>
        <link rel="stylesheet" href="{$base}/theme/css/feed.css"/>
        <link rel="icon" href="{$base}/theme/images/icon.svg" type="image/svg+xml"/>
      </head>
      <body class="page feed-preview">
        <header class="site-header">
          <div class="wrap site-header-inner">
            <a class="brand" href="{$base}/">
              <img class="brand-mark" src="{$base}/theme/images/icon.svg" alt="" width="36" height="36"/>
              <span class="brand-text"><span class="brand-name">Chorus</span></span>
            </a>
          </div>
        </header>
        <main id="main" class="wrap site-main">
          <p class="feed-kicker">
            Web feed ·
            <xsl:choose>
              <xsl:when test="$isAtom">Atom</xsl:when>
              <xsl:otherwise>RSS</xsl:otherwise>
            </xsl:choose>
          </p>
          <h1 class="feed-title"><xsl:value-of select="$title"/></h1>
          <xsl:if test="string($subtitle)">
            <p class="page-lede">
              <xsl:choose>
                <xsl:when test="$isAtom"><xsl:value-of select="$subtitle"/></xsl:when>
                <xsl:otherwise>
                  <xsl:call-template name="unescape"><xsl:with-param name="text" select="$subtitle"/></xsl:call-template>
                </xsl:otherwise>
              </xsl:choose>
            </p>
          </xsl:if>

          <section class="feed-about" aria-labelledby="feed-about-title">
            <h2 id="feed-about-title">This is a web feed</h2>
            <p>
              A web feed (RSS or Atom) lets you follow these posts in a <strong>feed reader</strong>
              app of your choice: new posts appear there as they are published, with no account
              on this site, no e-mail list and no tracking.
            </p>
            <h3>How to subscribe</h3>
            <ol>
              <li>Copy this address:
                <input class="feed-url" id="feed-url" type="text" readonly="readonly"
                       value="{$self}" aria-label="Feed address" size="60"/>
              </li>
              <li>Paste it into your feed reader (for example NetNewsWire, Feedly, Inoreader,
                Thunderbird or newsboat) where it asks for a feed or site to add.</li>
            </ol>
            <p class="feed-formats">
              The same feed as
              <a href="{$stem}.atom.xml" type="application/atom+xml">Atom</a>,
              <a href="{$stem}.rss.xml" type="application/rss+xml">RSS</a> or
              <a href="{$stem}.json" type="application/feed+json">JSON Feed</a>.
              <xsl:if test="string($home)">
                Prefer a web page? <a href="{$home}">Read these posts on the site</a>.
              </xsl:if>
            </p>
          </section>

          <section class="feed-entries" aria-labelledby="feed-entries-title">
            <h2 id="feed-entries-title">Latest posts</h2>
            <xsl:choose>
              <xsl:when test="$isAtom and /atom:feed/atom:entry">
                <ol class="feed-list"><xsl:apply-templates select="/atom:feed/atom:entry"/></ol>
              </xsl:when>
              <xsl:when test="not($isAtom) and /rss/channel/item">
                <ol class="feed-list"><xsl:apply-templates select="/rss/channel/item"/></ol>
              </xsl:when>
              <xsl:otherwise><p>No posts yet.</p></xsl:otherwise>
            </xsl:choose>
          </section>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li class="feed-entry">
      <h3><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h3>
      <p class="feed-meta">
        <time datetime="{atom:published}"><xsl:value-of select="substring(atom:published, 1, 10)"/></time>
        <xsl:if test="atom:author/atom:name">
          · <xsl:value-of select="atom:author/atom:name"/>
        </xsl:if>
        <xsl:if test="atom:category">
          · <xsl:value-of select="atom:category[1]/@label"/>
        </xsl:if>
      </p>
      <xsl:if test="atom:summary">
        <p class="feed-summary"><xsl:value-of select="atom:summary"/></p>
      </xsl:if>
    </li>
  </xsl:template>

  <xsl:template match="item">
    <li class="feed-entry">
      <h3><a href="{link}"><xsl:value-of select="title"/></a></h3>
      <p class="feed-meta">
        <time datetime="{atom:updated}"><xsl:value-of select="substring(pubDate, 6, 11)"/></time>
        <xsl:if test="dc:creator">
          · <xsl:value-of select="dc:creator"/>
        </xsl:if>
        <xsl:if test="category">
          · <xsl:value-of select="category[1]"/>
        </xsl:if>
      </p>
      <xsl:if test="description">
        <p class="feed-summary">
          <xsl:call-template name="unescape"><xsl:with-param name="text" select="description"/></xsl:call-template>
        </p>
      </xsl:if>
    </li>
  </xsl:template>

  <!-- RSS descriptions are HTML; ours are plain text written as HTML (&amp; &lt; &gt;).
       Undo that as text, without disable-output-escaping (Firefox ignores it). -->
  <xsl:template name="unescape">
    <xsl:param name="text"/>
    <xsl:call-template name="replace">
      <xsl:with-param name="text">
        <xsl:call-template name="replace">
          <xsl:with-param name="text">
            <xsl:call-template name="replace">
              <xsl:with-param name="text" select="$text"/>
              <xsl:with-param name="from" select="'&amp;lt;'"/>
              <xsl:with-param name="to" select="'&lt;'"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="from" select="'&amp;gt;'"/>
          <xsl:with-param name="to" select="'&gt;'"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="from" select="'&amp;amp;'"/>
      <xsl:with-param name="to" select="'&amp;'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="replace">
    <xsl:param name="text"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($text, $from)">
        <xsl:value-of select="substring-before($text, $from)"/>
        <xsl:value-of select="$to"/>
        <xsl:call-template name="replace">
          <xsl:with-param name="text" select="substring-after($text, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
